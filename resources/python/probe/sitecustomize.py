"""Timeslice's probe loader. Timeslice puts this directory first on PYTHONPATH and names its
pipe in TIMESLICE_PROBE; every Python process of the run, including ProcessPoolExecutor's
children under fork, forkserver and spawn, then loads the probe before any user code runs.
Without TIMESLICE_PROBE it does nothing. The sitecustomize this one shadows still runs."""
import os
import sys


def _chain():
    # Run the sitecustomize that would have run without us (Debian ships one).
    here = os.path.dirname(os.path.abspath(__file__))
    import importlib.machinery
    import importlib.util
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:
        pass


if os.environ.get("TIMESLICE_PROBE"):
    try:
        import timeslice_probe
        timeslice_probe.install(os.environ["TIMESLICE_PROBE"])
    except Exception as error:  # the probe must never stop the script
        sys.stderr.write(f"timeslice: the probe could not start: {error!r}\n")
_chain()
