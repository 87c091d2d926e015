"""Named regional winds, used to label forecast maps."""

REGIONAL_WINDS = ["mistral", "bora", "sirocco", "tramontane", "foehn"]


def label(direction_deg: float, region: str) -> str | None:
    # The mistral blows from the north-west down the Rhone valley.
    if region == "provence" and 300 <= direction_deg <= 360:
        return "mistral"
    return None
