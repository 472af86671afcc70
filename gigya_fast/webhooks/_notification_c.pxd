# The compiled Notification, for cimport by the webhook batch kernel (_batch_c), which
# builds them in C.


cdef class Notification:
    cdef public object body
    cdef public object headers
    cdef public object _ctx
    cdef public object _data
    cdef public object _timestamp
    cdef public object _events
    cdef public object _new_events
    cdef public object _guard
