"""Tags uploaded photos, videos and captions for the media library."""
