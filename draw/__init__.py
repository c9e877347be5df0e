"""Pictures, outside the domain: `core` computes what a picture says, this package draws it
(matplotlib, the optional `timeline` extra). The bot, the case desk and the CLI may import it;
`core` never does."""
