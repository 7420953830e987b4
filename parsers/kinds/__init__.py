"""One module per kind of source document. Each declares what the registry (`parsers.registry`) needs:

- `KIND`: its name, as records and the lineage carry it ("report_table");
- `RANK`: its place when records of one project disagree (0 = most authoritative; see `transform.merge`);
- `TITLE`: how the README and the package README name it;
- `detect(lines) -> float`: how sure it is (0 to 1) that the text has its layout; the surest kind reads it;
- `parse(lines, file_name) -> ParseResult`.

A module here imports only the shared helpers in `parsers/`, never another kind.
"""
