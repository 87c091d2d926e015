"""HTTP API, validated against docs/openapi.yaml."""

from flask import Flask, jsonify
from openapi_core import OpenAPI

from airq.pollutants import POLLUTANTS

app = Flask(__name__)
openapi = OpenAPI.from_file_path("docs/openapi.yaml")


@app.get("/pollutants")
def pollutants():
    return jsonify(POLLUTANTS)
