"""Matching pages: a worker's recommended jobs, an employer's recommended candidates, the city admin's runs
and weights. (Being written: see docs/decisions.md "Matching".)"""
