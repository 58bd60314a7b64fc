"""The downstream contract: the headers every output carries, the retag command, the AsyncAPI
document of every topic (docs/contract.md describes all three for consumers)."""
