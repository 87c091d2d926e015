"""Post-market monitoring: drift, fairness and performance over time, thresholds, incidents."""
