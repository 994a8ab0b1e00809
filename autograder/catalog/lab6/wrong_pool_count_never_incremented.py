"""The pool counts its images in a separate counter that is never incremented, so it believes it is never full: it
stores every image and never swaps (xiaowei-hu/CycleGAN-tensorflow issue #2, "self.num_img=self.num_img+1 //It seems
you forgot this line")."""
EXERCISE = "ImagePool"
EXPECT = "probability exactly 1/2"

import random

import torch


class ImagePool:
    def __init__(self, pool_size=50):
        if pool_size < 0:
            raise ValueError("pool_size must be >= 0")
        self.pool_size = pool_size
        self.num_imgs = 0
        self.images = []

    def query(self, images):
        images = images.detach()
        if self.pool_size == 0:
            return images
        out = []
        for image in images:
            if self.num_imgs < self.pool_size:
                self.images.append(image.clone())
                out.append(image)
            elif random.random() < 0.5:
                k = random.randrange(self.pool_size)
                out.append(self.images[k])
                self.images[k] = image.clone()
            else:
                out.append(image)
        return torch.stack(out).clone()
