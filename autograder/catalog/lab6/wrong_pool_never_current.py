"""Once full, the pool always swaps (every output an old image), never returning the current one: the 50% rule read
as "replace a random stored image and return the old one" (hardikbansal/CycleGAN issue #23 asks what the branch that
returns the current image is for). Modelled from the issue's list; D then never sees the newest fakes."""
EXERCISE = "ImagePool"
EXPECT = "returns the CURRENT image"
EDIT = [("elif random.random() < 0.5:", "elif random.random() < 1.0:")]
