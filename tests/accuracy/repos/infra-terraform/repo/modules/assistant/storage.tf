# Transcripts bucket: plain storage, nothing AI about it.
resource "aws_s3_bucket" "transcripts" {
  bucket = "${var.prefix}-transcripts"
}

resource "aws_s3_bucket_versioning" "transcripts" {
  bucket = aws_s3_bucket.transcripts.id
  versioning_configuration {
    status = "Enabled"
  }
}
