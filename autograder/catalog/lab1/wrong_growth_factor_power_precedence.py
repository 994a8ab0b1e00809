"""Square root written as `** 1/2`, which Python reads as `(... ** 1) / 2`.

A classic precedence slip ("Why does Python give the wrong answer? x**(.5) returns 4, x**(1/2) ..." on
python.engineering; alpharithms.com, "Square Roots in Python: Be Mindful of Operator Precedence").
"""
EXERCISE = "norm_growth_factor"
EXPECT = "means (a ** 1) / 2"
EDIT = [("return math.sqrt(1 + eta**2)", "return (1 + eta**2) ** 1/2"),
        ("return math.sqrt(1 - eta**2 + eta**4)", "return (1 - eta**2 + eta**4) ** 1/2")]
