"""Timeslice's probe: records when Python's concurrency machinery queues, runs, waits and ends
work, and streams it to Timeslice as lines on a pipe. Pure Python, no dependencies, 3.8+.

What it records, each with time.monotonic_ns() (the clock Timeslice's recorder reads), the
process id and threading.get_native_id() (the ids the kernel's records use):

  P t pid tid ppid version free      a process starts (its main thread); free: 1 without a GIL
  S t pid tid kind name              a thread starts: kind t (threading.Thread, the main thread
                                     included, named as Python names it) or p (an executor's
                                     worker thread: its work items are the rows)
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

    def _internal(coro):  # asyncio.run's own housekeeping (shutdown_asyncgens ...)
        code = getattr(coro, "cr_code", None)
        return code is not None and os.path.dirname(code.co_filename) == asyncio_dir

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
    pool = getattr(target, "__module__", None) == "concurrent.futures.thread"
    _emit("S", f"{'p' if pool else 't'} {_text(thread.name)}")
    _emit("H", f"{_thread_state():x}")


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

    def waiter():
        box.append(_native_id())
        while not stop:
            pass

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
    # The executors and asyncio are wrapped when the program imports them, not before: importing
    # concurrent.futures.process (multiprocessing) in every process would cost a program that
    # never uses it tens of milliseconds.
    _when_imported("concurrent.futures.thread", lambda m: _wrap_submit(m.ThreadPoolExecutor))
    _when_imported("concurrent.futures.process", lambda m: _wrap_submit(m.ProcessPoolExecutor))
    _when_imported("asyncio", lambda m: _wrap_asyncio())
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
