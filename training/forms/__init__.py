"""The training app's forms, one module per sub-domain (as its views and services); `common` holds what
several of them share."""
