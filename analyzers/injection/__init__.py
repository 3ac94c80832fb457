"""ACC004's knowledge beyond its sink queries: how values flow into a sink within a function
(``flow``), and Python's import aliases, shell options and SQL text (``python``)."""
