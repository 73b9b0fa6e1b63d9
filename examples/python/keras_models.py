# Keras models (written for gradlint's tests): a deep sigmoid Sequential, a healthy
# functional residual network, and a subclassed model.
from tensorflow import keras
from tensorflow.keras import layers


def deep_sigmoid():
    model = keras.Sequential([keras.Input(shape=(32,))])
    for _ in range(8):
        model.add(layers.Dense(64, activation="sigmoid"))
    model.add(layers.Dense(10))
    return model


def residual_mlp():
    inputs = keras.Input(shape=(64,))
    x = layers.Dense(64, activation="relu", kernel_initializer="he_normal")(inputs)
    for _ in range(4):
        y = layers.Dense(64, kernel_initializer="he_normal")(x)
        y = layers.BatchNormalization()(y)
        y = layers.Activation("relu")(y)
        x = layers.Add()([x, y])
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs)


class Classifier(keras.Model):
    def __init__(self, units=64):
        super().__init__()
        self.hidden = layers.Dense(units, activation="relu", kernel_initializer="he_normal")
        self.out = layers.Dense(10)

    def call(self, x):
        return self.out(self.hidden(x))
