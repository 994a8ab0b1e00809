"""The coin is tossed before the pool is full: a swap may return a stored image while fewer than pool_size are stored
(the two tests written in the wrong order). Modelled from the issue's list of pool mistakes."""
EXERCISE = "ImagePool"
EXPECT = "no swap before the pool is full"

import random

import torch


class ImagePool:
    def __init__(self, pool_size=50):
        if pool_size < 0:
            raise ValueError("pool_size must be >= 0")
        self.pool_size = pool_size
        self.images = []

    def query(self, images):
        images = images.detach()
        if self.pool_size == 0:
            return images
        out = []
        for image in images:
            if self.images and random.random() < 0.5:
                k = random.randrange(len(self.images))
                out.append(self.images[k])
                self.images[k] = image.clone()
            elif len(self.images) < self.pool_size:
                self.images.append(image.clone())
                out.append(image)
            else:
                out.append(image)
        return torch.stack(out).clone()
