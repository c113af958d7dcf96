"""Search: the SearchIndex protocol, the default tantivy index and the query service with highlights."""
