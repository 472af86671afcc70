# The Python C API calls the compiled modules use, beyond Cython's builtins (declared
# with Cython's object semantics: an "object" argument is borrowed, an "object" result a
# new reference).


cdef extern from "Python.h":
    ctypedef struct PyObject
    bint PyUnicode_Check(object o)
    bint PyUnicode_CheckExact(object o)
    bint PyLong_Check(object o)
    bint PyLong_CheckExact(object o)
    bint PyFloat_Check(object o)
    bint PyFloat_CheckExact(object o)
    bint PyBool_Check(object o)
    bint PyDict_CheckExact(object o)
    bint PyBytes_Check(object o)
    bint PyBytes_CheckExact(object o)
    bint PyByteArray_Check(object o)
    bint PyList_CheckExact(object o)
    bint PyTuple_CheckExact(object o)

    bint PyUnicode_IS_ASCII(object o)
    void *PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    const char *PyUnicode_AsUTF8AndSize(object o, Py_ssize_t *size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    object PyUnicode_FromObject(object o)
    object PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size, const char *errors)

    long long PyLong_AsLongLongAndOverflow(object o, int *overflow) except? -1
    object PyLong_FromLongLong(long long v)
    object PyLong_FromUnicodeObject(object u, int base)
    object PyNumber_ToBase(object n, int base)
    double PyFloat_AS_DOUBLE(object o)
    char *PyOS_double_to_string(double val, char format_code, int precision, int flags,
                                int *ptype) except NULL
    int Py_DTSF_ADD_DOT_0

    PyObject *PyDict_GetItem(object d, object k)
    PyObject *PyDict_GetItemWithError(object d, object k)
    int PyDict_Next(object d, Py_ssize_t *pos, PyObject **key, PyObject **value)
    Py_ssize_t PyDict_Size(object d)

    char *PyBytes_AS_STRING(object o)
    Py_ssize_t PyBytes_GET_SIZE(object o)
    object PyBytes_FromStringAndSize(const char *data, Py_ssize_t n)
    char *PyByteArray_AS_STRING(object o)
    Py_ssize_t PyByteArray_GET_SIZE(object o)

    object PyList_New(Py_ssize_t n)
    PyObject *PyList_GET_ITEM(object o, Py_ssize_t i)
    Py_ssize_t PyList_GET_SIZE(object o)
    void PyList_SET_ITEM(object o, Py_ssize_t i, object v)
    PyObject *PyTuple_GET_ITEM(object o, Py_ssize_t i)
    PyObject **PySequence_Fast_ITEMS(object o)
    Py_ssize_t PySequence_Fast_GET_SIZE(object o)

    void Py_INCREF(object o)
    void Py_XINCREF(PyObject *o)
    void Py_XDECREF(PyObject *o)
    void PyErr_Clear()
    void PyObject_GC_UnTrack(void *op)
    void PyObject_GC_Track(void *op)
    void *PyMem_Malloc(size_t n)
    void PyMem_Free(void *p)
