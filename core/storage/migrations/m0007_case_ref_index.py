"""0007: case references looked up case-insensitively through an index (an import of 100,000
rows looked each one up by scanning all the owner's references: quadratic)."""

SQL = """
CREATE INDEX cases_owner_ref_lower ON cases (owner_id, lower(ref));
"""
