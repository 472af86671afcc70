# The compiled twin of gigya_fast._serialize_py, for cimport by _signing_c: the query
# string collected in C (QB), and the base string written into a caller's buffer (the
# caller signs it).

from gigya_fast._core.capi cimport PyDict_CheckExact, PyObject, PyUnicode_CheckExact, PyUnicode_IS_ASCII


cdef struct QEnt:
    const char *k
    const char *v
    Py_ssize_t klen
    Py_ssize_t vlen
    PyObject *key          # owned reference
    PyObject *value        # owned reference to the caller's value until it is serialised
    PyObject *text         # owned reference to the str value, or NULL (v in num/heap)
    char *heap             # owned JSON text (gf_buf data), or NULL
    char num[32]


cdef struct QB:
    QEnt *ents
    QEnt **order
    Py_ssize_t n
    bint ascii             # every key is ASCII
    QEnt stack_ents[16]
    QEnt *stack_order[16]


cdef void qb_free(QB *qb) noexcept
cdef int qb_collect(QB *qb, object params) except -1
cdef object request_base(QB *qb, object http_method, object url, char *out, Py_ssize_t cap,
                         char **base, Py_ssize_t *base_len, bint want_query)
cdef object spec_request(object http_method, object url, object params)


cdef inline void qb_init(QB *qb) noexcept:
    qb.ents = qb.stack_ents
    qb.order = qb.stack_order
    qb.n = 0
    qb.ascii = True


cdef inline bint fast_request(object http_method, object url, object params) noexcept:
    """Whether the C path applies: exact dict params, exact str method (ASCII) and URL."""
    return (PyDict_CheckExact(params) and PyUnicode_CheckExact(http_method)
            and PyUnicode_IS_ASCII(http_method) and PyUnicode_CheckExact(url))
