"""Original short texts for the demo corpus (CC0, written for searchfic; see data/README.md)."""

from __future__ import annotations

DRABBLE_HOLMES = """Watson kept the morocco case in the drawer with his revolver, which Holmes thought a very poor joke and Watson thought no joke at all.

'You have hidden it,' Holmes said on the third day of the rain.

'I have put it away. There is a difference, and you are the man who taught me to notice differences.'

Holmes lay along the sofa like a length of wet rope. The fog pressed at the windows; the fire sulked; Mrs. Hudson's tray went down the stairs untouched for the second time.

'Give me a problem,' he said to the ceiling. 'Give me a cipher, a missing clerk, a dog that did something in the night-time. Give me anything but this room.'

Watson considered the room. It held a violin with a broken string, a jack-knife pinning the correspondence to the mantel, a Persian slipper full of tobacco, and the only man in London he could not stop looking at.

'Very well,' he said. 'Here is a problem. A doctor of medicine, sound in wind and limb, has lived for some years with a detective. He has watched him starve, and sulk, and shoot holes in the wallpaper. He has not left. Deduce why.'

Holmes turned his head. For a long moment the grey eyes did their work, and Watson let them.

'Data insufficient,' Holmes said at last, very quietly.

'Then collect more,' said Watson, and sat down on the edge of the sofa.

The rain went on. The morocco case stayed in the drawer. Somewhere between the second pipe and the lamplighter, Holmes stopped asking for a problem, having found one he preferred to work on slowly."""

CROSSOVER_HATTER = """The machine arrived in the middle of the tea-table, between the milk-jug and the Dormouse, and for a moment nobody said anything at all.

It was a squat, glittering thing of nickel and ivory and something that looked like rock crystal, and on its saddle sat a pale man in a dusty coat, holding a lever as if it might bite him. He looked at the table, at the cups, at the clock on the wall that said six, and he let out a long breath.

'Thank God,' said the Time Traveller. 'Civilisation. Tea.'

'No room!' cried the March Hare. 'No room!'

'There's plenty of room,' said the Time Traveller, who had lately seen the end of the world and was not to be put off by a hare. He climbed down, found a chair, and sat in it.

The Hatter leaned across the table and peered at the machine through a great deal of steam. 'What sort of a clock is that?' he asked. 'It has no face.'

'It is not a clock. It is a machine for travelling in time.'

The Hatter's eyes grew very wide. 'Then you know him,' he whispered. 'You've spoken to him. How does he look? Is he still angry?'

'Who?'

'Time, of course. We quarrelled last March. He won't do a thing I ask. It's always six o'clock now.'

The Time Traveller looked at the clock on the wall, which said six, and at his own watch, which said six, and at the sky, which was the colour of six o'clock in June and had been, the March Hare assured him, since March.

'That is impossible,' he said. 'A moment cannot simply stop. Every real body must have duration as well as length, breadth and thickness.'

'Then it's a very unreal body we're sitting in,' said the Hatter, and poured him a cup of tea. 'Milk?'

The Time Traveller drank his tea. It was excellent tea, and it did not get cold, because it had no time to. He drank a second cup, and a third, and found that he did not want to leave; and that frightened him more than anything he had seen in the year eight hundred and two thousand.

'I could take you forward,' he said at last, 'past the quarrel. Into a day when it is seven o'clock.'

The Hatter considered this with great seriousness, turning his cup round and round.

'And what would we do at seven?' he asked.

'Dine, I suppose. Go home. Go to bed.'

'How dreadful,' said the Hatter, and the March Hare nodded, and the Dormouse said 'dreadful' in its sleep.

So the Time Traveller stayed for one more cup, which is to say for ever, or for no time at all; and when at last he climbed back on his saddle and pulled the lever, the Hatter waved his teaspoon after him and called out that he should give Time his regards, and tell him that the butter had been the very best butter."""

SAVED_PAGE_STORY = """Will came up the avenue with the book under his coat, because it was raining and because the book was hers.

“You are soaked,” Dorothea said, before he had so much as taken off his hat. She had been standing at the library window for some time; he could tell by the small cloud her breath had left on the glass.

“I am,” he agreed. “The book is not. I thought you would prefer it that way round.”

She took it from him and turned it over as if it might have changed while it was away. It had not. It was the same dull volume of sermons her husband had lent him in a fit of generosity, and which Will had not opened once.

“Did you read it?”

“I read the first page eleven times,” Will said. “Each time I arrived at the bottom I found I had been thinking about something else.”

“What else?”

He did not answer that. Instead he looked round at the shelves, the dark bindings, the maps of places neither of them had seen, the long table with its orderly piles of notes in Mr. Casaubon’s hand.

“It is a sad room,” he said.

“It is a library.”

“A library is only a room until somebody argues in it,” Will said. “I have never heard anyone argue in this one.”

Dorothea set the book down on the table, very carefully, exactly square with the edge.

“Then argue,” she said. “I give you leave.”

So he did. He argued that a life need not be spent holding the candle for someone else’s key to all mythologies; that she had a mind as good as any in the county and better than most; that there were schools to be built and cottages to be mended and paintings in Rome that had waited three hundred years for her to stand in front of them and say what she thought. He argued until the rain eased, and then he argued through the silence it left behind.

She argued back. She said that a promise is a promise, and that duty is not a coat one can take off because it has got wet. She said it was very easy for a man with no fortune and no ties to talk about freedom. She said, and this was the part that made him stop, “You talk as if I had never wished for any of it.”

“Have you?”

“Every day,” said Dorothea, and then, more quietly, “Every single day, Mr. Ladislaw.”

The clock in the hall struck four. Somewhere in the house a door closed, and footsteps went away along a passage, and did not come towards them.

Will picked up his hat. He turned it round once in his hands, the way he did when he was about to say something foolish, and then he put it down again.

“I shall not come back for a while,” he said. “I think it would be better.”

“Better for whom?”

“For the sermons,” said Will, and she laughed, surprised into it, and the sound went round the sad room and made it, for a moment, only a room.

At the door he looked back. She was still standing by the table with one hand on the book, the grey light on her face, and she did not ask him to stay; and he understood, walking down the wet avenue with his collar turned up, that this was the bravest thing he had ever seen anyone do.

He did not read the sermons. He never did. But years afterwards, in another house, with a different set of shelves, he would catch himself setting a book down exactly square with the edge of a table, and he would smile, and not explain."""

TEASERS = [
    (
        "TITLE: The Miniature in the Boudoir DATE: 2013-04 A small oval face looked down "
        "from the wall of the blue-green room, and Dorothea found herself talking to it "
        "as if it were a friend who had just come in out of the rain..."
    ),
    (
        "TITLE: SEVEN GRAINS OF SAND FANDOM: The Time Machine PAIRING: Weena / Time "
        "Traveller DATE: 2014-09 Nobody at the Thursday dinners believed a word of it, "
        "and the Time Traveller did not expect them to; he only turned the little white "
        "flowers over in his fingers..."
    ),
    (
        "TITLE: A NEEDLE IN THE HAYMARKET AUTHOR: Wren Calloway PAIRING: Holmes / Lestrade "
        "DISCLAIMER: Not mine, never were. The fog came down on Tuesday and did not lift "
        "until the inspector had lost his temper twice..."
    ),
]

HOSTILE_WATSON = """[Draft, with marginal notes in a second hand.]

I have set down the end of the affair as plainly as I can, and Holmes has read it over my shoulder with a pencil & a great deal of sighing.

"You have underlined my name," he said. "Twice."

"It is a manuscript, Holmes. One underlines for the printer. It means bold type."

"Then you have written <b>Holmes</b> into the margin like a man marking a parcel. The printer will think I am a grocery." He crossed it out. "And this line here: 'my heart < his intellect'. What is the angle bracket meant to convey?"

"That one is smaller than the other."

"Which one?"

I did not answer, and he did not press me, which is how I know that he had deduced it already. He only drew a neat line under the last paragraph, the way he rules off a finished case, and handed the pages back.

"Print it as it is," he said. "Brackets and all. Let the readers sort out the tags."

* * *"""
