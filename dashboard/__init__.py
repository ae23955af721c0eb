"""The dashboard's Python side: data access (data.py), shared sidebar filters (filters.py), the page
registry and access rules (registry.py), shared page elements (layout.py) and pure figure
builders (charts.py, maps.py). Page files in ../pages only lay these out."""
