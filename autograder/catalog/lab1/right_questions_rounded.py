"""The two graded questions answered as a student would type them: numbers rounded to 3 significant digits, one of
them an int-valued expression computed from the derivation rather than a literal."""
EXERCISES = ["answer_y_first_coefficient", "answer_fastest_extragradient_eta"]


def answer_y_first_coefficient():
    eta = 0.3
    return +eta  # (u, v) = (y, -x) maps the y-first update onto the x-first one


def answer_fastest_extragradient_eta():
    return 0.707
