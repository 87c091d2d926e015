rootProject.name = "meeting-notes"
include(":app", ":legacy-batch")
