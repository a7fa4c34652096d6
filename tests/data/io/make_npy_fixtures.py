# Writes the .npy fixtures of tests/src/npy_test.cc with NumPy itself, so the tests compare csc's
# reader and writer with the reference implementation. Run: python3 make_npy_fixtures.py (NumPy 2.4.6).
import numpy as np
from numpy.lib import format as npf

arrays = {
    "f4_2x3": np.array([[1.5, -2.25, 3.0], [1024.0, -0.125, 7.75]], dtype="<f4"),
    "f8_2x3": np.array([[1.5, -2.25, 3.0], [1024.0, -0.125, 7.75]], dtype="<f8"),
    "i4_2x3": np.array([[1, -2, 2147483647], [-2147483648, 0, 42]], dtype="<i4"),
    "i8_2x3": np.array([[1, -2, 2**53], [-(2**53), 0, 42]], dtype="<i8"),
    "u1_2x3": np.array([[0, 1, 255], [128, 7, 42]], dtype="u1"),
    "f8_1d": np.array([0.5, -1.0, 2.0, 1e300], dtype="<f8"),
    "f4_1d": np.array([0.5, -1.0, 2.0], dtype="<f4"),
}
for name, a in arrays.items():
    np.save(f"{name}.npy", a)

f8 = arrays["f8_2x3"]
with open("f8_2x3_v2.npy", "wb") as f:
    npf.write_array(f, f8, version=(2, 0))
with open("f8_2x3_v3.npy", "wb") as f:
    npf.write_array(f, f8, version=(3, 0))
np.save("f8_2x3_fortran.npy", np.asfortranarray(f8))
np.save("f8_2x3_big_endian.npy", f8.astype(">f8"))
np.save("f2_2x3.npy", f8.astype("<f2"))
np.save("f8_2x2x2.npy", np.zeros((2, 2, 2)))
np.save("f8_scalar.npy", np.float64(3.0))
np.save("f8_nan.npy", np.array([[1.0, np.nan], [3.0, 4.0]]))

# Header-only files: what numpy.save writes before the data for shapes too big to store here.
for name, shape, descr in [("hdr_empty", (0,), "<f8"), ("hdr_tall", (10**12, 5), "<f4"),
                           ("hdr_wide", (3, 10**15), "<i8")]:
    with open(f"{name}.bin", "wb") as f:
        npf.write_array_header_1_0(f, {"descr": descr, "fortran_order": False, "shape": shape})
