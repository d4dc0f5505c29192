"""Tests of feedback: complaints, compliments, surveys and audits."""
