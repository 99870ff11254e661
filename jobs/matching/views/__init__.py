"""The matching's pages: recommendations.py for workers and employers, runs.py for city admins."""
