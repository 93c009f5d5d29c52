"""Timeslice's probe: records when Python's concurrency machinery queues, runs, waits and ends
work, and streams it to Timeslice as lines on a pipe. Pure Python, no dependencies, 3.8+.

What it records, each with time.monotonic_ns() (the clock Timeslice's recorder reads), the
process id and threading.get_native_id() (the ids the kernel's records use):

  P t pid tid ppid version free      a process starts (its main thread); free: 1 without a GIL
  S t pid tid kind name              a thread starts: kind t (threading.Thread, a thread of
                                     _thread.start_new_thread, the main thread included, named
                                     as Python names it), p (an executor's worker thread or a
                                     process pool's worker: its work items are the rows) or c
                                     (a multiprocessing child's main thread, as the child's
                                     Process object starts its target: a row of its own).
                                     Threads of a probed process the probe never names are a
                                     C extension's: Timeslice finds them in /proc/PID/task
  E t pid tid                        a thread ends
  H t pid tid tstate                 the thread's PyThreadState (hex): the GIL names its holder so
  G t pid tid address how            where this interpreter's GIL is (hex; 0 when not found), and
                                     how it was found or why not (see _find_gil)
  T t pid tid key root name          a task is created and queued: an executor submit or an
                                     asyncio task (root 1: created outside every task)
  R t pid tid key                    it runs (a work item starts, a coroutine step begins, a
                                     sleep ends)
  W t pid tid key deadline           it waits (time.sleep, or a coroutine awaiting a future;
                                     deadline: when the sleep is due, 0 when unknown; from then
                                     on a thread is trying to run again: under the GIL it may
                                     have to wait for it before its next line runs)
  Y t pid tid key                    it is ready: what it awaited is done, the loop has not
                                     resumed it yet
  D|F|C t pid tid key text           it ends: done (text: the result), failed (the exception),
                                     cancelled
  X t pid tid key status text        the submitter saw its future settle (status D, F or C):
                                     tells Timeslice of work whose worker died
  K t pid tid key action stop wpid wtid worker
                                     a Dask task's piece of time, from Dask's task stream
                                     (t is its start): action compute, deserialize, transfer or
                                     disk, on worker process wpid's thread wtid (0 0 where the
                                     worker is not this machine's or not known) of the worker
                                     at address `worker`
  V t pid tid key text               the value a Dask task's future gave its program
  A t pid tid key text               a note on a Dask task's row: its worker died while running
                                     it, and Dask ran it again
  N t pid tid text                   a note on where a Dask run's data came from (its clocks)

Dask tasks are rows too: a distributed.Client's submitted keys are created (T) as they are
sent, with the key as the name; their pieces of time come from the scheduler's task stream
(collected while they run and when the client closes), moved from the scheduler's clock (Dask
corrects every worker's clock to it) onto this machine's monotonic clock; their ends (D, F, C)
carry the time the task stream gives.

Keys are "pid.n", made where the task is created and carried into worker processes with the
work item. Text fields are last on the line, with backslash, newline and carriage return
escaped. Every line is one write() shorter than PIPE_BUF, so lines from every thread and
process of the run arrive whole. The write is libc's, called through ctypes.PyDLL, which keeps
the GIL: os.write() would let go of it around the system call, and under contention a thread
would then wait up to a switch interval to take it back, at every line: the probe would make
the very GIL waits it is there to show. The probe never changes what the program computes or prints:
it wraps callables and coroutines and passes every value and exception through unchanged; if
the pipe goes away it stops writing.
"""
import collections.abc
import functools
import itertools
import os
import sys
import threading
import time

_fd = -1
_write = None  # write(fd, bytes, n) that keeps the GIL; os.write where ctypes is missing
_pid = 0
_counter = itertools.count(1)
_lock = threading.Lock()
_local = threading.local()
_deadlines = {}
_mono = time.monotonic_ns
_native_id = threading.get_native_id
_real_sleep = time.sleep
_TEXT_LIMIT = 512
_here = os.path.dirname(os.path.abspath(__file__))


def _text(value):
    try:
        s = value if isinstance(value, str) else repr(value)
    except Exception:
        s = "<unprintable>"
    if len(s) > _TEXT_LIMIT:
        s = s[:_TEXT_LIMIT] + "..."
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _emit(kind, rest=""):
    global _fd
    fd = _fd
    if fd < 0:
        return
    line = f"{kind} {_mono()} {_pid} {_native_id()}{' ' if rest else ''}{rest}\n".encode("utf-8", "replace")
    try:
        if _write(fd, line, len(line)) < 0:
            _fd = -1  # Timeslice went away: stop recording, never disturb the program
    except OSError:
        _fd = -1


def _emit_at(kind, t, rest):
    """A line about something that happened at monotonic time t (ns), seen only later."""
    global _fd
    fd = _fd
    if fd < 0:
        return
    line = f"{kind} {t} {_pid} {_native_id()} {rest}\n".encode("utf-8", "replace")
    try:
        if _write(fd, line, len(line)) < 0:
            _fd = -1
    except OSError:
        _fd = -1


def _new_key():
    return f"{_pid}.{next(_counter)}"


def _current():
    return getattr(_local, "key", None)


class _Call:
    """A submitted callable, carrying its task's key into the worker (thread or process)."""
    __slots__ = ("key", "fn")

    def __init__(self, key, fn):
        self.key = key
        self.fn = fn

    def __reduce__(self):
        return (_Call, (self.key, self.fn))

    def __call__(self, *args, **kwargs):
        previous = _current()
        _local.key = self.key
        _emit("R", self.key)
        try:
            result = self.fn(*args, **kwargs)
        except BaseException as error:
            _emit("F", f"{self.key} {_text(f'{type(error).__name__}: {error}')}")
            raise
        else:
            _emit("D", f"{self.key} {_text(result)}")
            return result
        finally:
            _local.key = previous


_MACHINERY = ("distributed.", "tornado.", "dask.")


def _origin(fn):
    """The module a callable comes from, through functools.partial and contextvars' run."""
    for _ in range(4):
        if isinstance(fn, functools.partial):
            inner = fn.func
            if getattr(inner, "__name__", None) == "run" and fn.args:  # partial(context.run, f)
                inner = fn.args[0]
            fn = inner
        else:
            break
    return getattr(fn, "__module__", None) or ""


def _machinery(fn):
    """A callable of Dask's or Tornado's own: their event loops, offload and worker threads."""
    return _origin(fn).startswith(_MACHINERY)


def _task_name(fn, args):
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
    if args and isinstance(args[0], (str, int, float)) and len(repr(args[0])) <= 40:
        return f"{name}({args[0]!r})"
    return name


def _settled(key):
    def callback(future):
        if future.cancelled():
            _emit("X", f"{key} C cancelled before it started")
            return
        error = future.exception()
        if error is not None:
            _emit("X", f"{key} F {_text(f'{type(error).__name__}: {error}')}")
        else:
            _emit("X", f"{key} D")
    return callback


def _wrap_submit(cls):
    original = cls.submit

    def submit(self, fn, /, *args, **kwargs):
        if _machinery(fn):  # Dask's own executor work: its tasks are rows by their keys
            return original(self, fn, *args, **kwargs)
        key = _new_key()
        _emit("T", f"{key} 0 {_text(_task_name(fn, args))}")
        future = original(self, _Call(key, fn), *args, **kwargs)
        future.add_done_callback(_settled(key))
        return future

    submit.__wrapped__ = original
    submit.__doc__ = original.__doc__
    cls.submit = submit


@functools.wraps(_real_sleep)
def _sleep(secs):
    key = _current()
    if key is None:
        return _real_sleep(secs)
    try:
        due = _mono() + int(secs * 1e9) if secs > 0 else 0
    except Exception:  # not a number: time.sleep says so itself
        due = 0
    _emit("W", f"{key} {due}")
    try:
        return _real_sleep(secs)
    finally:
        _emit("R", key)


class _ReadyMark:
    """Added to the future a task awaits: the loop is asked to call it the moment the future
    is done, which is when the task becomes ready."""
    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __call__(self, future):
        pass


class _Steps(collections.abc.Coroutine):
    """Wraps a task's coroutine: each send() or throw() is one step of the task."""
    __slots__ = ("_key", "_coro")

    def __init__(self, key, coro):
        self._key = key
        self._coro = coro

    def send(self, value):
        return self._step(self._coro.send, value)

    def throw(self, *args):
        return self._step(self._coro.throw, *args)

    def close(self):
        return self._coro.close()

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def __getattr__(self, name):  # cr_frame, cr_code, __name__, __qualname__ ... for reprs
        return getattr(self._coro, name)

    def _step(self, fn, *args):
        key = self._key
        previous = _current()
        _local.key = key
        _emit("R", key)
        try:
            yielded = fn(*args)
        except StopIteration as stop:
            _emit("D", f"{key} {_text(stop.value)}")
            raise
        except BaseException as error:
            if type(error).__name__ == "CancelledError":
                _emit("C", f"{key} cancelled")
            else:
                _emit("F", f"{key} {_text(f'{type(error).__name__}: {error}')}")
            raise
        finally:
            _local.key = previous
        if yielded is None:  # a bare yield (asyncio.sleep(0)): queued again at once
            _emit("Y", key)
        else:
            _emit("W", f"{key} {_deadlines.pop(key, 0)}")
            add = getattr(yielded, "add_done_callback", None)
            if add is not None:
                try:
                    add(_ReadyMark(key))
                except Exception:
                    pass
        return yielded


def _in_machinery(filename):
    """A module of the distributed, tornado or dask packages, wherever pip or Debian put them."""
    parts = filename.split(os.sep)
    installed = "site-packages" in parts or "dist-packages" in parts
    return installed and any(p in ("distributed", "tornado", "dask") for p in parts[-4:-1])


def _coroutine_name(coro):
    """fetch('alpha') for fetch("alpha"): a coroutine not yet started holds its arguments."""
    name = getattr(coro, "__qualname__", None) or type(coro).__name__
    code = getattr(coro, "cr_code", None)
    frame = getattr(coro, "cr_frame", None)
    if code is None or frame is None or code.co_argcount < 1:
        return name
    first = code.co_varnames[0]
    if first in ("self", "cls") and code.co_argcount > 1:
        first = code.co_varnames[1]
    try:
        value = frame.f_locals.get(first)
    except Exception:
        return name
    if isinstance(value, (str, int, float)) and len(repr(value)) <= 40:
        return f"{name}({value!r})"
    return name


def _wrap_asyncio():
    import asyncio
    import asyncio.base_events as base_events
    import asyncio.tasks as tasks

    asyncio_dir = os.path.dirname(asyncio.__file__)

    def _internal(coro):
        # asyncio.run's own housekeeping (shutdown_asyncgens ...), and Dask's and Tornado's
        # event loops: their coroutines are machinery, not the program's tasks.
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        if code is None:
            return False
        return (os.path.dirname(code.co_filename) in (asyncio_dir, _here)
                or _in_machinery(code.co_filename))

    loop_class = base_events.BaseEventLoop
    create_task = loop_class.create_task
    call_soon = loop_class.call_soon
    sleep = tasks.sleep

    def probed_create_task(self, coro, *args, **kwargs):
        if not asyncio.iscoroutine(coro) or isinstance(coro, _Steps) or _internal(coro):
            return create_task(self, coro, *args, **kwargs)
        key = _new_key()
        name = kwargs.get("name") or _coroutine_name(coro)
        _emit("T", f"{key} {0 if _current() else 1} {_text(str(name))}")
        return create_task(self, _Steps(key, coro), *args, **kwargs)

    def probed_call_soon(self, callback, *args, **kwargs):
        if type(callback) is _ReadyMark:
            _emit("Y", callback.key)
        return call_soon(self, callback, *args, **kwargs)

    async def probed_sleep(delay, result=None):
        key = _current()
        if key is not None and delay > 0:
            _deadlines[key] = _mono() + int(delay * 1e9)
        return await sleep(delay, result)

    probed_create_task.__wrapped__ = create_task
    probed_call_soon.__wrapped__ = call_soon
    probed_sleep.__wrapped__ = sleep
    loop_class.create_task = probed_create_task
    loop_class.call_soon = probed_call_soon
    tasks.sleep = probed_sleep
    asyncio.sleep = probed_sleep


# --- Dask ---------------------------------------------------------------------------------

_WORKER_THREADS = """
def worker_threads():
    import os, threading
    return os.getpid(), {t.ident: t.native_id for t in threading.enumerate()}
"""
_SUSPICIOUS = """
def suspicious(keys, dask_scheduler=None):
    tasks = dask_scheduler.tasks
    return {k: tasks[k].suspicious for k in keys if k in tasks and tasks[k].suspicious}
"""
_SCHEDULER_DELAY = """
def scheduler_delay(dask_worker):
    return dask_worker.scheduler_delay
"""


_by_value_made = {}


def _by_value(source):
    """A function Dask can run on a worker that has no probe: defined in __main__'s name, so
    cloudpickle sends its code rather than a reference to this module. Made once."""
    made = _by_value_made.get(source)
    if made is None:
        namespace = {"__name__": "__main__"}
        exec(source, namespace)
        made = _by_value_made[source] = next(v for k, v in namespace.items() if not k.startswith("__"))
    return made


class _DaskTask:
    __slots__ = ("dask_key", "key", "future", "record", "settled", "emitted")

    def __init__(self, dask_key, key, future):
        self.dask_key = dask_key
        self.key = key
        self.future = future
        self.record = None  # its task-stream record, once the scheduler has it
        self.settled = None  # when it was first seen settled with no record yet
        self.emitted = False


class _DaskWatch:
    """One distributed.Client's tasks: each submitted key is a row; its pieces of time come from
    the scheduler's task stream, polled while work is out and read to the end at close."""

    POLL = 0.5  # seconds between task-stream reads while tasks are out
    GRACE = 2.0  # seconds a settled task's record may take to reach the task stream

    def __init__(self, client):
        self.client = client
        self.lock = threading.Lock()
        self.tasks = {}  # dask key -> _DaskTask
        self.pending = {}  # the tasks not yet emitted
        # The stream is read from here on, on the scheduler's clock (a minute's margin for a
        # scheduler whose clock is behind ours); then from the latest end it has shown.
        self.since = time.time() - 60
        self.clock = None  # (scheduler's wall clock - ours, our wall clock - monotonic), s
        self.workers = {}  # address -> (pid, {thread ident: native id})
        self.thread = None
        self.closed = False
        self.woken = threading.Event()  # set at close: the poll stops waiting
        # The scheduler keeps a task stream only once someone asks for it.
        client.get_task_stream(count=0)

    def submitted(self, futures):
        with self.lock:
            for dask_key, future in futures.items():
                if dask_key in self.tasks:
                    continue
                task = self.tasks[dask_key] = self.pending[dask_key] = _DaskTask(dask_key, _new_key(), future)
                _emit("T", f"{task.key} 0 {_text(str(dask_key))}")
            if self.thread is None and not self.closed:
                self.thread = threading.Thread(target=self._poll, name="timeslice-dask", daemon=True)
                self.thread._timeslice_machinery = True
                self.thread.start()

    def _poll(self):
        while not self.woken.wait(self.POLL):
            try:
                self.collect(final=False)
            except Exception:
                pass  # a read that failed leaves its tasks pending: the next one, or close(), has them

    def close(self):
        """The client closes: every task it sent is read to its end. The poll ends first, so
        no task is between its read and its emission when the client goes."""
        with self.lock:
            self.closed = True
            poll = self.thread
        self.woken.set()
        if poll is not None and poll is not threading.current_thread():
            poll.join()
        try:
            give_up = time.monotonic() + self.GRACE + 1
            while self.collect(final=time.monotonic() > give_up):
                _real_sleep(0.05)
        except Exception as error:
            _emit("N", _text(f"the task stream could not be read to its end: {type(error).__name__}: {error}"))

    def collect(self, final):
        """Reads the task stream and emits every task that has settled; returns how many are
        still out."""
        with self.lock:
            if not self.pending:
                return 0
        # Only what ended since the last read (half a second's margin for records that come
        # late): a long run's stream is read about once, not again at every poll. A task
        # settled long enough with no record yet has the whole stream looked through.
        now = time.monotonic()
        with self.lock:
            overdue = final or any(t.settled is not None and now - t.settled >= self.GRACE / 2
                                   for t in self.pending.values())
        records = self.client.get_task_stream(start=self.since - (60 if overdue else 0.5))
        ready = []
        out = 0
        with self.lock:
            for record in records:
                task = self.pending.get(record.get("key"))
                if task is not None:
                    task.record = record
                for piece in record.get("startstops") or ():
                    self.since = max(self.since, piece.get("stop", 0))
            for task in list(self.pending.values()):
                status = task.future.status
                waiting = status == "pending" or (
                    task.record is None and status in ("finished", "error")
                    and now - (task.settled or now) < self.GRACE)
                if waiting and not final:
                    if status != "pending" and task.settled is None:
                        task.settled = now
                    out += 1
                    continue
                task.emitted = True
                del self.pending[task.dask_key]
                ready.append((task, status))
        if ready:
            try:
                self._calibrate([task for task, _ in ready])
            except Exception as error:
                if not final:  # the tasks wait for the next read
                    with self.lock:
                        for task, _ in ready:
                            task.emitted = False
                            self.pending[task.dask_key] = task
                    raise
                _emit("N", _text(f"the scheduler's clock could not be read ({type(error).__name__}: {error}): "
                                 f"{len(ready)} tasks have no times of Dask's"))
        retried = {}
        try:  # tasks whose worker died under them, which Dask ran again
            if ready:
                retried = self.client.run_on_scheduler(_by_value(_SUSPICIOUS), [t.dask_key for t, _ in ready])
        except Exception:
            pass
        for task, status in ready:
            times = retried.get(task.dask_key)
            if times:
                _emit("A", f"{task.key} {_text(f'its worker died while running it; Dask ran it again ({times} time' + ('s)' if times > 1 else ')'))}")
            self._emit_task(task, status)
        return out

    def _calibrate(self, ready):
        client = self.client
        if self.clock is None:
            best = None
            for _ in range(3):  # the scheduler's clock, read over the shortest round trip
                before = time.time()
                theirs = client.run_on_scheduler(time.time)
                after = time.time()
                if best is None or after - before < best[0]:
                    best = (after - before, theirs - (before + after) / 2)
            self.clock = (best[1], time.time() - time.monotonic())
            try:
                delays = client.run(_by_value(_SCHEDULER_DELAY))
                worst = max((abs(d) for d in delays.values() if isinstance(d, (int, float))), default=0)
                workers = (f"Dask moved its {len(delays)} workers' clocks onto the scheduler's by at most "
                           f"{worst * 1e3:.3f} ms")
            except Exception as error:
                workers = f"the workers' clock offsets could not be read ({type(error).__name__}: {error})"
            _emit("N", _text(f"Dask clocks: the scheduler's is {best[1] * 1e3:+.3f} ms from this machine's "
                             f"(read over a {best[0] * 1e3:.3f} ms round trip); {workers}"))
        # Which process and thread each worker's records name: asked again only when a record
        # names one not seen yet (a worker that joined, a thread it started). A worker slow to
        # answer (a busy machine) is asked up to three times.
        for attempt in range(3):
            unknown = any(
                t.record is not None
                and t.record.get("thread") not in self.workers.get(t.record.get("worker"), (0, {}))[1]
                for t in ready)
            if not unknown:
                break
            if attempt:
                _real_sleep(0.2)
            try:
                for address, (pid, threads) in client.run(_by_value(_WORKER_THREADS)).items():
                    self.workers[address] = (pid, threads)
            except Exception:
                pass

    def _mono(self, scheduler_time):
        offset, wall = self.clock
        return int((scheduler_time - offset - wall) * 1e9)

    def _emit_task(self, task, status):
        key, record, last = task.key, task.record, None
        if record is not None and self.clock is not None:
            address = record.get("worker") or "?"
            pid, threads = self.workers.get(address, (0, {}))
            tid = threads.get(record.get("thread"), 0)
            where = f"{pid} {tid}" if pid and tid else "0 0"
            for piece in sorted(record.get("startstops") or (), key=lambda p: p["start"]):
                start, stop = self._mono(piece["start"]), self._mono(piece["stop"])
                action = str(piece.get("action", "compute")).replace(" ", "-")
                _emit_at("K", start, f"{key} {action} {stop} {where} {_text(address)}")
                last = stop if last is None else max(last, stop)
        at = last if last is not None else _mono()
        if status == "finished":
            _emit_at("D", at, f"{key} ")
        elif status == "cancelled":
            _emit_at("C", at, f"{key} cancelled")
        elif status in ("error", "lost"):
            try:
                error = task.future.exception(timeout=5)
                text = f"{type(error).__name__}: {error}"
            except Exception as why:
                text = f"{status}: {type(why).__name__}: {why}"
            _emit_at("F", at, f"{key} {_text(text)}")
        else:
            _emit_at("F", at, f"{key} {_text(f'still {status} when its client closed')}")


def _wrap_dask(module):
    """Follows every synchronous distributed.Client: its keys are rows (see _DaskWatch)."""
    Client = module.Client
    init, close, to_futures = Client.__init__, Client.close, Client._graph_to_futures
    result = module.Future._result
    watches = []

    def probed_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if getattr(self, "asynchronous", False):
            _emit("N", "an asynchronous distributed.Client: its tasks are not followed")
            return
        try:
            self._timeslice_watch = _DaskWatch(self)
            watches.append(self._timeslice_watch)
        except Exception as error:
            _emit("N", _text(f"the task stream could not be read: {type(error).__name__}: {error}"))

    def probed_graph_to_futures(self, *args, **kwargs):
        futures = to_futures(self, *args, **kwargs)
        watch = getattr(self, "_timeslice_watch", None)
        if watch is not None:
            watch.submitted(futures)
        return futures

    def probed_close(self, *args, **kwargs):
        watch = self.__dict__.pop("_timeslice_watch", None)
        if watch is not None:
            watch.close()
        return close(self, *args, **kwargs)

    async def probed_result(self, *args, **kwargs):
        value = await result(self, *args, **kwargs)
        watch = getattr(self.client, "_timeslice_watch", None)
        task = watch.tasks.get(self.key) if watch is not None else None
        if task is not None and self.status == "finished":
            _emit("V", f"{task.key} {_text(value)}")
        return value

    def at_exit():  # a client the program never closed
        for watch in watches:
            if not watch.closed:
                watch.close()

    Client.__init__ = probed_init
    Client.close = probed_close
    Client._graph_to_futures = probed_graph_to_futures
    module.Future._result = probed_result
    import atexit
    atexit.register(at_exit)


def _thread_state():
    """This thread's PyThreadState, as the GIL's last_holder names it (0 when unknown)."""
    try:
        import ctypes
        get = ctypes.pythonapi.PyThreadState_Get
        get.restype = ctypes.c_void_p
        return get() or 0
    except Exception:
        return 0


def _thread_started(thread):
    target = getattr(thread, "_target", None)
    module = _origin(target) if target is not None else type(thread).__module__
    # An executor's worker thread (its work items are the rows), or a thread of Dask's
    # machinery (its event loop, a worker's task threads: the Dask tasks are the rows).
    pool = module == "concurrent.futures.thread" or module.startswith(_MACHINERY) \
        or getattr(thread, "_timeslice_machinery", False) \
        or ("distributed" in sys.modules and module.startswith(("multiprocessing.", "asyncio.", "concurrent.futures.")))
    _emit("S", f"{'p' if pool else 't'} {_text(thread.name)}")
    _emit("H", f"{_thread_state():x}")


def _process_started(process):
    """A multiprocessing child runs its Process object's target: a row of its own, named as
    multiprocessing names it, with its target's name as threading does ("Process-1 (work)"),
    unless it is a pool's worker whose work items are the rows."""
    target = getattr(process, "_target", None)
    module = _origin(target) if target is not None else type(process).__module__
    pool = module == "concurrent.futures.process" or module.startswith(_MACHINERY) or "distributed" in sys.modules
    name = process.name
    if target is not None and not module.startswith("multiprocessing."):
        name = f"{name} ({getattr(target, '__name__', 'target')})"
    _emit("S", f"{'p' if pool else 'c'} {_text(name)}")


def _wrap_process(module):
    original = module.BaseProcess._bootstrap

    def bootstrap(self, *args, **kwargs):
        _process_started(self)
        try:
            return original(self, *args, **kwargs)
        finally:
            _emit("E")

    module.BaseProcess._bootstrap = bootstrap


def _wrap_start_new_thread():
    """A thread a program starts with _thread.start_new_thread (threading keeps its own
    reference to the original and says so itself): named by its function."""
    import _thread
    original = _thread.start_new_thread

    def start_new_thread(function, args, kwargs={}):
        name = getattr(function, "__qualname__", None) or getattr(function, "__name__", "thread")

        def run(*a, **k):
            _emit("S", f"t {_text(f'_thread ({name})')}")
            _emit("H", f"{_thread_state():x}")
            try:
                return function(*a, **k)
            finally:
                _emit("E")
        return original(run, args, kwargs)

    _thread.start_new_thread = start_new_thread


def _wrap_threads():
    original = getattr(threading.Thread, "_bootstrap_inner", None)
    if original is None:
        return

    def bootstrap_inner(self):
        _thread_started(self)
        try:
            original(self)
        finally:
            _emit("E")

    threading.Thread._bootstrap_inner = bootstrap_inner


_FUTEX = {"x86_64": 202, "aarch64": 98}  # the futex system call's number
_gil = (0, "not looked for")


def _find_gil():
    """Where this interpreter's GIL is, found by watching a thread wait for it. A helper thread
    is made to want the GIL while this one keeps it (libc called through ctypes.PyDLL keeps it),
    and the kernel's /proc/self/task/TID/syscall names the futex word the helper sleeps on: a
    word of the GIL's condition variable. The GIL's own fields lie just before it; the address
    is trusted only where they read back the switch interval, locked, and this very thread as
    the holder. Works for any CPython whose GIL is CPython 3.8-3.13's _gil_runtime_state, with
    no table of offsets. Returns (address, how it was found or why not)."""
    if not getattr(sys, "_is_gil_enabled", lambda: True)():
        return 0, "no GIL: a free-threaded build"
    try:
        import ctypes
        import platform
        import struct
        import _thread
    except Exception as error:
        return 0, f"not looked for: {error!r}"
    futex = _FUTEX.get(platform.machine())
    if futex is None:
        return 0, f"not looked for on {platform.machine()}"
    libc = ctypes.PyDLL(None, use_errno=True)
    libc.open.argtypes = (ctypes.c_char_p, ctypes.c_int)
    libc.open.restype = ctypes.c_int
    libc.read.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t)
    libc.read.restype = ctypes.c_ssize_t
    libc.pread.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_long)
    libc.pread.restype = ctypes.c_ssize_t
    libc.close.argtypes = (ctypes.c_int,)
    me = _thread_state()
    box = []
    stop = []
    gone = _thread.allocate_lock()
    gone.acquire()

    def waiter():
        box.append(_native_id())
        while not stop:
            pass
        gone.release()

    _thread.start_new_thread(waiter, ())
    try:
        give_up = _mono() + 2_000_000_000
        while not box:
            if _mono() > give_up:
                return 0, "not found: the helper thread never ran"
            _real_sleep(0.0002)
        path = f"/proc/self/task/{box[0]}/syscall".encode()
        buf = ctypes.create_string_buffer(512)
        word = 0
        give_up = _mono() + 1_000_000_000
        while not word and _mono() < give_up:
            fd = libc.open(path, os.O_RDONLY | os.O_CLOEXEC)
            if fd < 0:
                return 0, f"not found: cannot read {path.decode()}: {os.strerror(ctypes.get_errno())}"
            n = libc.read(fd, buf, 511)
            libc.close(fd)
            fields = buf.raw[:max(n, 0)].split()
            if len(fields) > 1 and fields[0] == str(futex).encode():
                word = int(fields[1], 16)
        if not word:
            return 0, "not found: the helper thread was never seen waiting on a futex"
        # The fields (interval, last_holder, locked, switch_number) up to 0x100 bytes before it.
        interval = round(sys.getswitchinterval() * 1e6)
        before = 0x100
        mem = libc.open(b"/proc/self/mem", os.O_RDONLY | os.O_CLOEXEC)
        if mem < 0:
            return 0, f"not found: cannot read /proc/self/mem: {os.strerror(ctypes.get_errno())}"
        start = (word - before) & ~7  # the fields are 8-aligned; the word may not be
        raw = ctypes.create_string_buffer(word + 8 - start)
        n = libc.pread(mem, raw, word + 8 - start, start)
        libc.close(mem)
        layout = struct.Struct("@LPiL")
        for k in range(0, max(n, 0) - layout.size + 1, 8):
            got_interval, holder, locked, _switches = layout.unpack_from(raw.raw, k)
            if got_interval == interval and holder == me and locked == 1:
                return start + k, f"found by the probe: a waiting thread's futex at {word:#x}"
        return 0, f"not found: no GIL fields before the futex word {word:#x}"
    finally:
        stop.append(True)
        _join_helper(gone, box)


def _join_helper(gone, box):
    """Waits until the helper thread has left the kernel's list of this process's threads, so
    Timeslice never takes it for a thread of the program's."""
    if not gone.acquire(timeout=2) or not box:
        return
    path = f"/proc/self/task/{box[0]}"
    give_up = _mono() + 200_000_000
    while os.path.exists(path) and _mono() < give_up:
        _real_sleep(0.0001)


def _hello():
    free = 0 if getattr(sys, "_is_gil_enabled", lambda: True)() else 1
    version = ".".join(str(v) for v in sys.version_info[:3])
    _emit("P", f"{os.getppid()} {version} {free}")
    _thread_started(threading.current_thread())
    address, how = _gil
    _emit("G", f"{address:x} {_text(how)}")


def _after_fork():
    global _pid, _counter
    _pid = os.getpid()
    _counter = itertools.count(1)
    _local.__dict__.clear()
    _hello()


def install(path):
    """Opens Timeslice's pipe and wraps the executors, threads, sleeps and asyncio."""
    global _fd, _pid, _write
    if _fd >= 0:
        return
    _pid = os.getpid()
    try:
        import ctypes
        libc_write = ctypes.PyDLL(None).write  # PyDLL: called with the GIL held
        libc_write.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t)
        libc_write.restype = ctypes.c_ssize_t
        _write = libc_write
    except Exception:
        _write = lambda fd, data, n: os.write(fd, data)
    _fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    global _gil
    try:
        _gil = _find_gil()
    except Exception as error:  # never stop the program
        _gil = (0, f"not found: {error!r}")
    _hello()
    time.sleep = _sleep
    _wrap_threads()
    _wrap_start_new_thread()
    # The executors and asyncio are wrapped when the program imports them, not before: importing
    # concurrent.futures.process (multiprocessing) in every process would cost a program that
    # never uses it tens of milliseconds.
    _when_imported("concurrent.futures.thread", lambda m: _wrap_submit(m.ThreadPoolExecutor))
    _when_imported("concurrent.futures.process", lambda m: _wrap_submit(m.ProcessPoolExecutor))
    _when_imported("asyncio", lambda m: _wrap_asyncio())
    _when_imported("distributed.client", _wrap_dask)
    _when_imported("multiprocessing.process", _wrap_process)
    os.register_at_fork(after_in_child=_after_fork)


_pending = {}  # module name -> what to wrap in it once it is imported


class _OnImport:
    """A finder that lets the real finders find a module, then wraps what the probe needs in it
    right after it has run, before the importer sees it."""

    def find_spec(self, name, path=None, target=None):
        wrap = _pending.get(name)
        if wrap is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        run = getattr(loader, "exec_module", None)
        if run is None:
            return spec

        def exec_module(module):
            run(module)
            if _pending.pop(name, None) is not None:
                try:
                    wrap(module)
                except Exception as error:  # never stop the program
                    sys.stderr.write(f"timeslice: the probe could not follow {name}: {error!r}\n")
        try:
            loader.exec_module = exec_module  # this spec's own loader: the module keeps its type
        except Exception:
            return spec
        return spec

    def invalidate_caches(self):
        pass


def _when_imported(name, wrap):
    module = sys.modules.get(name)
    if module is not None:
        wrap(module)
        return
    _pending[name] = wrap
    if not any(type(f) is _OnImport for f in sys.meta_path):
        sys.meta_path.insert(0, _OnImport())
