"""Understanding articles: entities, keywords and related coverage."""
