"""Tables printed as aligned text inside a page's running text."""
