"""Training metrics over brand members: ethics sessions held, ethics coverage of brand members, the
certificate-holding rate of brand members."""
