"""City admins' matching pages: the runs (history, progress, run now) and the weights. (Being written.)"""
