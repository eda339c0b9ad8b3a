"""Born-digital PDFs: characters and text (reader), ruled tables, borderless tables."""
