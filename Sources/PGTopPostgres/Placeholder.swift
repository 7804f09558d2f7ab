import PGTopCore
