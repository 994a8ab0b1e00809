"""The pool counts its images in a separate counter that is never incremented, so it believes it is never full: it
stores every image and never swaps (xiaowei-hu/CycleGAN-tensorflow issue #2, "self.num_img=self.num_img+1 //It seems
you forgot this line")."""
EXERCISE = "ImagePool"
EXPECT = "probability exactly 1/2"
EDIT = [("self.images = []\n", "self.images = []\n        self.num_imgs = 0\n"),
        ("if len(self.images) < self.pool_size:", "if self.num_imgs < self.pool_size:")]
