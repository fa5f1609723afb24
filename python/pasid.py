# SPDX-License-Identifier: GPL-2.0-or-later
"""ctypes bindings of libpasid (<pasid/pasid.h>, docs/library.md).

    import pasid
    with pasid.Source.open("guest.elf") as src:
        with src.strtab(0x4836d000, 0x10210) as st:
            for ste in st.walk():            # dicts, as decode --json prints them
                ...
            with st.cd_table(8) as cds:
                print(cds.entry(0)["fields"]["asid"])
                for f in cds.validate("qemu"):
                    print(f.rule, f.message)

The library is found through $PASID_LIBRARY (a path), then the loader's
search path (libpasid.so.0), then ctypes.util.find_library("pasid").
Failures raise pasid.Error with the library's status and message."""
import ctypes
import ctypes.util
import json
import os

ABI_SONAME = "libpasid.so.0"

OK, STOPPED, ERR_ARG, ERR_INPUT, ERR_NOMEM = 0, 1, -1, -2, -3
WALK_JSON, WALK_ALL = 1, 2
ENTRY, DIR = 0, 1
SEVERITIES = {1: "note", 2: "warning", 3: "error"}


class Error(Exception):
    """A call of libpasid failed: .code is its status, str() its message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 256)]


class _Segment(ctypes.Structure):
    _fields_ = [("base", ctypes.c_uint64), ("buf", ctypes.c_char_p), ("len", ctypes.c_size_t)]


class _Entry(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("index", ctypes.c_uint32),
                ("address", ctypes.c_uint64), ("valid", ctypes.c_int),
                ("raw", ctypes.POINTER(ctypes.c_uint8)), ("size", ctypes.c_size_t),
                ("json", ctypes.c_char_p)]


class _Finding(ctypes.Structure):
    _fields_ = [("rule", ctypes.c_char_p), ("severity", ctypes.c_int),
                ("has_address", ctypes.c_int), ("address", ctypes.c_uint64),
                ("has_sid", ctypes.c_int), ("sid", ctypes.c_uint32),
                ("has_ssid", ctypes.c_int), ("ssid", ctypes.c_uint32),
                ("has_l1_index", ctypes.c_int), ("l1_index", ctypes.c_uint32),
                ("field", ctypes.c_char_p), ("message", ctypes.c_char_p),
                ("repeat", ctypes.c_uint32)]


_WALK_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(_Entry), ctypes.c_void_p)
_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_ERR = ctypes.POINTER(_Error)
_U64 = ctypes.c_uint64

# name: (result, argument types), as the header declares them.
_PROTOS = {
    "pasid_version": (ctypes.c_char_p, []),
    "pasid_free": (None, [_P]),
    "pasid_source_open": (ctypes.c_int, [_PP, ctypes.POINTER(ctypes.c_char_p),
                                         ctypes.c_size_t, _U64, _ERR]),
    "pasid_source_open_memory": (ctypes.c_int, [_PP, ctypes.c_char_p, ctypes.c_char_p,
                                                ctypes.c_size_t, _U64, _ERR]),
    "pasid_source_open_segments": (ctypes.c_int, [_PP, ctypes.c_char_p,
                                                  ctypes.POINTER(_Segment), ctypes.c_size_t,
                                                  _ERR]),
    "pasid_source_close": (None, [_P]),
    "pasid_source_kind": (ctypes.c_char_p, [_P]),
    "pasid_source_read": (ctypes.c_int, [_P, _U64, ctypes.c_char_p, ctypes.c_size_t, _ERR]),
    "pasid_table_open": (ctypes.c_int, [_PP, _P, ctypes.c_char_p, _U64, ctypes.c_char_p,
                                        ctypes.c_uint, _ERR]),
    "pasid_table_open_strtab": (ctypes.c_int, [_PP, _P, _U64, _U64, ctypes.c_char_p, _ERR]),
    "pasid_table_open_cd": (ctypes.c_int, [_PP, _P, ctypes.c_uint32, _ERR]),
    "pasid_table_close": (None, [_P]),
    "pasid_table_header_json": (ctypes.c_int, [_P, _PP, _ERR]),
    "pasid_table_walk": (ctypes.c_int, [_P, ctypes.c_uint, _WALK_FN, _P, _ERR]),
    "pasid_table_entry_json": (ctypes.c_int, [_P, ctypes.c_uint32, _PP, _ERR]),
    "pasid_table_validate": (ctypes.c_int, [_P, ctypes.c_char_p, _PP, _ERR]),
    "pasid_findings_count": (ctypes.c_size_t, [_P]),
    "pasid_findings_at": (ctypes.POINTER(_Finding), [_P, ctypes.c_size_t]),
    "pasid_findings_total": (_U64, [_P, ctypes.c_int]),
    "pasid_findings_free": (None, [_P]),
    "pasid_build": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t, _PP,
                                   ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(_U64), _ERR]),
}


def _load():
    names = [os.environ.get("PASID_LIBRARY"), ABI_SONAME, ctypes.util.find_library("pasid")]
    last = None
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError as e:
            last = e
    else:
        raise ImportError("libpasid not found (set PASID_LIBRARY): %s" % last)
    for name, (res, args) in _PROTOS.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args
    return lib


_lib = _load()


def _call(fn, *args):
    err = _Error()
    rc = fn(*args, ctypes.byref(err))
    if rc < 0:
        raise Error(rc, err.message.decode(errors="replace"))
    return rc


def _take_string(ptr):
    try:
        return ctypes.string_at(ptr.value).decode()
    finally:
        _lib.pasid_free(ptr)


def version():
    return _lib.pasid_version().decode()


class Finding:
    """One finding of validate: rule, severity ("error", ...), address,
    sid, ssid, l1_index (None when they do not apply), field, message."""

    def __init__(self, f):
        self.rule = f.rule.decode()
        self.severity = SEVERITIES.get(f.severity, str(f.severity))
        self.address = f.address if f.has_address else None
        self.sid = f.sid if f.has_sid else None
        self.ssid = f.ssid if f.has_ssid else None
        self.l1_index = f.l1_index if f.has_l1_index else None
        self.field = f.field.decode() if f.field else None
        self.message = f.message.decode()
        self.repeat = f.repeat

    def __repr__(self):
        return "<Finding %s %s %s>" % (self.severity, self.rule, self.message)


class Table:
    """A table opened on a Source; close it (or use `with`) before the source."""

    def __init__(self, handle, source):
        self._h = handle
        self.source = source

    def close(self):
        if self._h:
            _lib.pasid_table_close(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def header(self):
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_header_json, self._h, ctypes.byref(out))
        return json.loads(_take_string(out))

    def walk(self, all_entries=False, dirs=False):
        """The entries (and with dirs=True the level-1 descriptors) as
        decode --json prints them, in order."""
        items = []

        def collect(entry, user):
            e = entry.contents
            if e.kind == ENTRY or dirs:
                items.append(json.loads(e.json))
            return 0

        fn = _WALK_FN(collect)
        flags = WALK_JSON | (WALK_ALL if all_entries else 0)
        _call(_lib.pasid_table_walk, self._h, flags, fn, None)
        return items

    def entry(self, index):
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_entry_json, self._h, index, ctypes.byref(out))
        return json.loads(_take_string(out))

    def cd_table(self, sid):
        """The CD table STE `sid` of this stream table points at."""
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_open_cd, ctypes.byref(out), self._h, sid)
        return Table(out, self.source)

    def validate(self, caps=None):
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_validate, self._h, caps.encode() if caps else None,
              ctypes.byref(out))
        try:
            n = _lib.pasid_findings_count(out)
            return [Finding(_lib.pasid_findings_at(out, i).contents) for i in range(n)]
        finally:
            _lib.pasid_findings_free(out)


class Source:
    """Memory to read tables from: Source.open(paths...) or
    Source.from_memory(bytes, base) or Source.from_segments(pairs)."""

    def __init__(self, handle, keep=None):
        self._h = handle
        self._keep = keep

    @classmethod
    def open(cls, *inputs, base=0):
        arr = (ctypes.c_char_p * len(inputs))(*[os.fsencode(i) for i in inputs])
        out = ctypes.c_void_p()
        _call(_lib.pasid_source_open, ctypes.byref(out), arr, len(inputs), base)
        return cls(out)

    @classmethod
    def from_memory(cls, data, base, name="memory"):
        data = bytes(data)
        out = ctypes.c_void_p()
        _call(_lib.pasid_source_open_memory, ctypes.byref(out), name.encode(), data,
              len(data), base)
        return cls(out)

    @classmethod
    def from_segments(cls, segments, name="memory"):
        """segments: (base, bytes) pairs that do not overlap."""
        segs = [(base, bytes(data)) for base, data in segments]
        arr = (_Segment * len(segs))(*[_Segment(b, d, len(d)) for b, d in segs])
        out = ctypes.c_void_p()
        _call(_lib.pasid_source_open_segments, ctypes.byref(out), name.encode(), arr,
              len(segs))
        return cls(out)

    def close(self):
        if self._h:
            _lib.pasid_source_close(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def kind(self):
        return _lib.pasid_source_kind(self._h).decode()

    def read(self, addr, size):
        buf = ctypes.create_string_buffer(size)
        _call(_lib.pasid_source_read, self._h, addr, buf, size)
        return buf.raw

    def table(self, fmt, base, index_bits, layout=None):
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_open, ctypes.byref(out), self._h, fmt.encode(), base,
              layout.encode() if layout else None, index_bits)
        return Table(out, self)

    def strtab(self, strtab_base, strtab_base_cfg, caps=None):
        out = ctypes.c_void_p()
        _call(_lib.pasid_table_open_strtab, ctypes.byref(out), self._h, strtab_base,
              strtab_base_cfg, caps.encode() if caps else None)
        return Table(out, self)


def build(spec):
    """Build a JSON description (a dict or its text): (base, bytes)."""
    text = (spec if isinstance(spec, str) else json.dumps(spec)).encode()
    img = ctypes.c_void_p()
    size = ctypes.c_size_t()
    base = ctypes.c_uint64()
    _call(_lib.pasid_build, text, len(text), ctypes.byref(img), ctypes.byref(size),
          ctypes.byref(base))
    try:
        return base.value, ctypes.string_at(img.value, size.value)
    finally:
        _lib.pasid_free(img)
