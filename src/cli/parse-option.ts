import { InvalidArgumentError } from 'commander';

/** A commander parser for whole numbers in a range, with a message that names the option. */
export function integerOption(name: string, min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got \`${value}\`.`);
    }
    return n;
  };
}
