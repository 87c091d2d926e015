"""Edge inference service: every model is a local file, nothing is called over the network."""
