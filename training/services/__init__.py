"""Every state change of the training app's records, one module per sub-domain (the views of the same
name call them): institutions, admission, agreements, programs, enrollment, ethics, certificates."""
