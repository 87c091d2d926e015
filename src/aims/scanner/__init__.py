"""The scanner: walks trees, runs detectors, and builds an `Inventory`."""
