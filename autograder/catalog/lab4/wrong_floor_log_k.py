"""The floor taken as log K, the loss at uniform probabilities (a guess that skips the minimisation)."""
EXERCISE = "double_softmax_floor"
EXPECT = "log K is the loss at uniform"
EDIT = [("return math.log(1 + (num_classes - 1) / math.e)", "return math.log(num_classes)")]
