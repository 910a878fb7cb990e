"""Formats of other tools, in and out: Kumu maps, Gephi tables, GraphML and GEXF files, Cytoscape.js JSON, and the
mapping step for columns that do not say what they hold. :mod:`ecograph.readers` and :mod:`ecograph.writers` use
them; :mod:`ecograph.formats.tables` holds what every reader shares."""
