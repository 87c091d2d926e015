package main

import (
	"context"
	"log"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Reading is one sample from a mast. Model is the sensor hardware model, e.g. "SDS011".
type Reading struct {
	Mast  string  `json:"mast"`
	Model string  `json:"model"`
	PM25  float64 `json:"pm25"`
	O3    float64 `json:"o3"`
}

func main() {
	doc, err := openapi3.NewLoader().LoadFromFile("../docs/openapi.yaml")
	if err != nil {
		log.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		log.Fatal(err)
	}
	http.Handle("/metrics", promhttp.Handler())
	log.Fatal(http.ListenAndServe(":9100", nil))
}
