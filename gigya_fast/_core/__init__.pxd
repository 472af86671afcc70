# Makes gigya_fast._core a package for cimport: its .pxd files declare the C core
# (core.pxd, glue.pxd) and the parts of the Python C API (capi.pxd) that the compiled
# modules use. Nothing here is imported at run time.
