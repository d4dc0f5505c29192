"""Surveys: instruments and their waves, the single-use links that ask people, the answers they
give (online or to an interviewer), and the results. Anonymity by design is explained in
``feedback/models/surveys.py``; ``links`` and ``sealing`` hold the two places it is kept."""
