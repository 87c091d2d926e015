module github.com/acme/ops-scripts

go 1.23
