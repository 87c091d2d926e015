rootProject.name = "meeting-notes"
include(":app")
