"""0009: a case's international publication (`/entryform` remembers it per case, the CSV
carries it): the WO number (`WO 2024/123456`) and the publication date, both optional."""

SQL = """
ALTER TABLE cases ADD COLUMN wo_number TEXT;                -- core.entryform.parse_wo_number
ALTER TABLE cases ADD COLUMN publication_date TEXT;         -- ISO date
"""
