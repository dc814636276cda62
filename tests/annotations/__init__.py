"""Tests of the annotation store (annotations/) and its CLI commands."""
