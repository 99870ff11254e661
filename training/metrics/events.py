"""Training metrics counted from the events of a period: trainee-times, advanced level, pass rate,
certificates issued, partner agreements filed by the deadline."""
