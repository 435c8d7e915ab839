"""What monitoring tells the apps downstream, which it must not import."""

from django.dispatch import Signal

run_finished = Signal()  # sender: CollectionRun, sent once a run has checked everything
