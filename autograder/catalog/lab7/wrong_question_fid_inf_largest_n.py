"""Question 2 answered with the score at the largest N (the common practice of reporting FID at the biggest sample
one could afford, which Chong and Forsyth 2020 show is still biased)."""
EXERCISE = "answer_fid_infinity"
EXPECT = "still carries the bias"
EDIT = [("    return 0.4375", "    return 0.45")]
