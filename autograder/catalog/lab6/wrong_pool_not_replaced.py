"""Once full, the pool returns a stored image but never puts the current one in its place, so the first 50 fakes stay
forever: xiaowei-hu/CycleGAN-tensorflow issue #46 ("the old ones never get replaced during training, which seems
odd")."""
EXERCISE = "ImagePool"
EXPECT = "should have left it"
EDIT = [("                self.images[k] = image.clone()\n", "")]
