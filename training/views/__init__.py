"""The training app's pages, one module per sub-domain (as its forms and services)."""
